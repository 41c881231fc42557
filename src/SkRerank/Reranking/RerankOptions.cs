namespace SkRerank.Reranking;

/// <summary>Per-call reranking settings.</summary>
public sealed class RerankOptions
{
    /// <summary>How many results to return; <see langword="null"/> returns every document. Must be between 1 and the document count.</summary>
    public int? TopN { get; set; }

    /// <summary>Overrides the reranker's configured model for this call, where the reranker supports several.</summary>
    public string? ModelId { get; set; }
}
