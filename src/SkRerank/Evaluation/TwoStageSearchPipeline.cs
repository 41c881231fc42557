using SkRerank.Search;

namespace SkRerank.Evaluation;

/// <summary>
/// Evaluates a <see cref="TwoStageSearch{TKey, TRecord}"/>: each query ranks the whole candidate pool (reranked results
/// first, then any candidate a score floor dropped), with the stage timings "embed", "search" and "rerank".
/// </summary>
/// <param name="name">The pipeline's name in tables and JSON.</param>
/// <param name="search">The search to evaluate.</param>
/// <param name="keyOf">The key of a record, as the judgments name documents.</param>
/// <param name="candidates">The candidate pool, also the ranking's length; at least 25 for Recall@25.</param>
public sealed class TwoStageSearchPipeline<TKey, TRecord>(
    string name, TwoStageSearch<TKey, TRecord> search, Func<TRecord, TKey> keyOf, int candidates = 25) : IEvaluatedPipeline<TKey>
    where TKey : notnull
    where TRecord : class
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public async Task<PipelineRun<TKey>> RunAsync(string query, CancellationToken cancellationToken = default)
    {
        var response = await search.SearchAsync(new TwoStageSearchRequest<TRecord> { Query = query, TopN = candidates, Candidates = candidates }, cancellationToken)
            .ConfigureAwait(false);
        var ranking = response.Results.Select(r => keyOf(r.Record)).ToList();
        var seen = new HashSet<TKey>(ranking);
        ranking.AddRange(response.Candidates.Select(c => keyOf(c.Record)).Where(seen.Add));
        return new PipelineRun<TKey>(ranking, new Dictionary<string, double>
        {
            ["embed"] = response.Timings.EmbedMs,
            ["search"] = response.Timings.SearchMs,
            ["rerank"] = response.Timings.RerankMs,
        });
    }
}
