namespace SkRerank.VectorStore;

/// <summary>How hybrid search combines its dense and keyword rankings.</summary>
public enum HybridFusionMethod
{
    /// <summary>Σ 1 / (k + rank): uses ranks only, robust when score scales are unknown.</summary>
    ReciprocalRank,

    /// <summary>
    /// dense z-score + <see cref="InMemoryCollectionOptions.KeywordWeight"/> × BM25 z-score, each standardised over the
    /// filtered records: keeps how far ahead a match is, which ranks-only fusion throws away. On the dev queries it
    /// beat RRF clearly (see README, "Relevance").
    /// </summary>
    WeightedZScore,
}
