namespace SkRerank.Search;

/// <summary>Per-stage wall-clock time in milliseconds.</summary>
/// <param name="EmbedMs">Embedding the query.</param>
/// <param name="SearchMs">First-stage retrieval.</param>
/// <param name="RerankMs">Reranking the candidates.</param>
public sealed record SearchTimings(double EmbedMs, double SearchMs, double RerankMs)
{
    /// <summary>Sum of the stages.</summary>
    public double TotalMs => EmbedMs + SearchMs + RerankMs;
}
