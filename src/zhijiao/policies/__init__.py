"""Policy packages: one folder per plan, each article's text, numbers, rules and cases together."""
