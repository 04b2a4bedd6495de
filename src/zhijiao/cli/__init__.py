"""The command line: transport only — parse, call the engine or a service, print."""
