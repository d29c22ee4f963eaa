"""cocagraph: a policy-argument knowledge graph."""
