namespace SkRerank.Evaluation;

/// <summary>Mean metrics of a pipeline over a query set.</summary>
public sealed record MetricSummary(double NdcgAt5, double NdcgAt10, double MrrAt10, double RecallAt25);
