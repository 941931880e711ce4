"""The policy: the catalog (model, loading, lookup) and the decision — pure data and pure
functions, shared by the station and the province."""
