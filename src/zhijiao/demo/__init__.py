"""The demonstration platform's data, in one place: a registry shaped like Wenzhou's (``registry``, from the
name lists of ``names``), one account per role (``accounts``) and the 2026—2028 plan in drafting
(``drafting_2026``). Nothing in the services imports this package: it writes through them, as an operator
would, and ``make run`` and the tests load it."""
