namespace SkRerank.Evaluation;

/// <summary>One query's ranking of integer ids and per-stage timings (stage name → milliseconds).</summary>
public sealed record PipelineRun(IReadOnlyList<int> Ranking, IReadOnlyDictionary<string, double> StageMs)
    : PipelineRun<int>(Ranking, StageMs);
