namespace SkRerank.Evaluation;

/// <summary>
/// A retrieval pipeline under evaluation: returns document keys in rank order (at least 25) with stage timings.
/// <see cref="TwoStageSearchPipeline{TKey, TRecord}"/> evaluates any <see cref="Search.TwoStageSearch{TKey, TRecord}"/>.
/// </summary>
/// <typeparam name="TKey">The documents' key type.</typeparam>
public interface IEvaluatedPipeline<TKey>
    where TKey : notnull
{
    /// <summary>The pipeline's name in tables and JSON.</summary>
    string Name { get; }

    /// <summary>Ranks documents for a query.</summary>
    Task<PipelineRun<TKey>> RunAsync(string query, CancellationToken cancellationToken = default);
}
