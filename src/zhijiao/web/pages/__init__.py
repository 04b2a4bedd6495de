"""Server-rendered pages, one module per area of the site."""
