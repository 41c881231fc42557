namespace SkRerank.Evaluation;

/// <summary>Runs judged queries through pipelines and computes nDCG@5, nDCG@10, MRR@10 and Recall@25.</summary>
public static class EvaluationRunner
{
    /// <summary>Evaluates <paramref name="pipeline"/> on <paramref name="queries"/> (documents with integer ids).</summary>
    public static async Task<PipelineEvaluation> EvaluateAsync(
        IEvaluatedPipeline pipeline, IReadOnlyList<JudgedQuery> queries, CancellationToken cancellationToken = default)
    {
        var e = await EvaluateAsync<int>(pipeline, queries, cancellationToken).ConfigureAwait(false);
        return new PipelineEvaluation(e.Name, e.Metrics, e.MeanStageMs, e.Runs, e.PerQuery);
    }

    /// <summary>Evaluates <paramref name="pipeline"/> on <paramref name="queries"/>.</summary>
    public static async Task<PipelineEvaluation<TKey>> EvaluateAsync<TKey>(
        IEvaluatedPipeline<TKey> pipeline, IReadOnlyList<JudgedQuery<TKey>> queries, CancellationToken cancellationToken = default)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(queries);
        var runs = new Dictionary<string, IReadOnlyList<TKey>>();
        var perQuery = new Dictionary<string, MetricSummary>();
        var stageTotals = new Dictionary<string, double>();
        foreach (var q in queries)
        {
            var run = await pipeline.RunAsync(q.Query, cancellationToken).ConfigureAwait(false);
            runs[q.Id] = run.Ranking;
            perQuery[q.Id] = Score(run.Ranking, q.Judgments);
            foreach (var (stage, ms) in run.StageMs) stageTotals[stage] = stageTotals.GetValueOrDefault(stage) + ms;
        }
        var n = Math.Max(queries.Count, 1);
        var mean = new MetricSummary(
            perQuery.Values.Sum(m => m.NdcgAt5) / n,
            perQuery.Values.Sum(m => m.NdcgAt10) / n,
            perQuery.Values.Sum(m => m.MrrAt10) / n,
            perQuery.Values.Sum(m => m.RecallAt25) / n);
        return new PipelineEvaluation<TKey>(pipeline.Name, mean, stageTotals.ToDictionary(kv => kv.Key, kv => kv.Value / n), runs, perQuery);
    }

    /// <summary>All four metrics for one ranking.</summary>
    public static MetricSummary Score<TKey>(IReadOnlyList<TKey> ranking, IReadOnlyDictionary<TKey, int> judgments)
        where TKey : notnull => new(
        RankingMetrics.NdcgAt(ranking, judgments, 5),
        RankingMetrics.NdcgAt(ranking, judgments, 10),
        RankingMetrics.MrrAt(ranking, judgments, 10),
        RankingMetrics.RecallAt(ranking, judgments, 25));
}
