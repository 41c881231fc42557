namespace SkRerank.Evaluation;

/// <summary>A query with graded relevance judgments of documents with integer ids (as in qrels files).</summary>
/// <param name="Id">Query id, e.g. "d01".</param>
/// <param name="Query">The query text.</param>
/// <param name="Judgments">Grade per document id.</param>
/// <param name="Kind">Optional category (thematic, plot, entity, …).</param>
public sealed record JudgedQuery(string Id, string Query, IReadOnlyDictionary<int, int> Judgments, string? Kind = null)
    : JudgedQuery<int>(Id, Query, Judgments, Kind);
