namespace SkRerank.Evaluation;

/// <summary>A pipeline's evaluation: mean metrics, mean stage latency, and each query's ranking.</summary>
public record PipelineEvaluation<TKey>(
    string Name,
    MetricSummary Metrics,
    IReadOnlyDictionary<string, double> MeanStageMs,
    IReadOnlyDictionary<string, IReadOnlyList<TKey>> Runs,
    IReadOnlyDictionary<string, MetricSummary> PerQuery);
