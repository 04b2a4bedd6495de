"""A generic rules-as-code engine: dated cited parameters, options, a rule graph, vectorized
evaluation, explanations and reforms. It knows nothing of any particular plan and imports no web
framework and no database."""
