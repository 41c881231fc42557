namespace SkRerank.Evaluation;

/// <summary>A retrieval pipeline over documents with integer ids.</summary>
public interface IEvaluatedPipeline : IEvaluatedPipeline<int>
{
    /// <summary>Ranks documents for a query.</summary>
    new Task<PipelineRun> RunAsync(string query, CancellationToken cancellationToken = default);

    async Task<PipelineRun<int>> IEvaluatedPipeline<int>.RunAsync(string query, CancellationToken cancellationToken) =>
        await RunAsync(query, cancellationToken).ConfigureAwait(false);
}
