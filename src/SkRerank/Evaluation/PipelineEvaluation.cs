namespace SkRerank.Evaluation;

/// <summary>A pipeline's evaluation over documents with integer ids.</summary>
public sealed record PipelineEvaluation(
    string Name,
    MetricSummary Metrics,
    IReadOnlyDictionary<string, double> MeanStageMs,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Runs,
    IReadOnlyDictionary<string, MetricSummary> PerQuery)
    : PipelineEvaluation<int>(Name, Metrics, MeanStageMs, Runs, PerQuery);
