namespace SkRerank.Evaluation;

/// <summary>A query with graded relevance judgments (grade 1–3; unjudged documents count as 0) of documents keyed by <typeparamref name="TKey"/>.</summary>
/// <param name="Id">Query id, e.g. "d01".</param>
/// <param name="Query">The query text.</param>
/// <param name="Judgments">Grade per document key.</param>
/// <param name="Kind">Optional category (thematic, plot, entity, …).</param>
public record JudgedQuery<TKey>(string Id, string Query, IReadOnlyDictionary<TKey, int> Judgments, string? Kind = null)
    where TKey : notnull;
