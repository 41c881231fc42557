using System.Linq.Expressions;

namespace SkRerank.Search;

/// <summary>One search of a <see cref="TwoStageSearch{TKey, TRecord}"/>.</summary>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed record TwoStageSearchRequest<TRecord>
    where TRecord : class
{
    /// <summary>What to look for, in natural language.</summary>
    public required string Query { get; init; }

    /// <summary>How many results to return; <see langword="null"/> uses <see cref="TwoStageSearchOptions{TRecord}.TopN"/>.</summary>
    public int? TopN { get; init; }

    /// <summary>How many first-stage candidates to rerank; <see langword="null"/> uses <see cref="TwoStageSearchOptions{TRecord}.Candidates"/>.</summary>
    public int? Candidates { get; init; }

    /// <summary>Only records matching this filter (the forms every VectorData connector translates: equality, <c>Contains</c>, <c>&amp;&amp;</c>).</summary>
    public Expression<Func<TRecord, bool>>? Filter { get; init; }

    /// <summary>Skip the reranking stage (first-stage results only).</summary>
    public bool SkipReranking { get; init; }
}
