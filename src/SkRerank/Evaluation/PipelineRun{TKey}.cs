namespace SkRerank.Evaluation;

/// <summary>One query's ranking and per-stage timings (stage name → milliseconds).</summary>
public record PipelineRun<TKey>(IReadOnlyList<TKey> Ranking, IReadOnlyDictionary<string, double> StageMs);
