"""zhijiao — 职教政策落实平台: a city's vocational-education plan as working software."""

__version__ = "0.1.0"
