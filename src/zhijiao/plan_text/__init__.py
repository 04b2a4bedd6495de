"""The plan's official text as the bureau holds it: read from a pasted text, a .txt or a .docx, split into parts
and articles, reviewed beside what the drafting explanation says, and stored as a cited, dated source once an
official confirms it. A later load supersedes the one before; every load stays."""
