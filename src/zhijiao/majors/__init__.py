"""Art. 10's structure of majors: duplicated and old majors, and what each county can move between them."""
