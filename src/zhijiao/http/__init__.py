"""What the API and the pages share of HTTP: refusals and their problem documents, the request's language,
session, user and permission, and downloads. Neither transport imports the other; both import this."""
