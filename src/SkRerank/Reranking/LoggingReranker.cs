using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SkRerank.Reranking;

/// <summary>
/// Logs each rerank call: start and completion (document count, top_n, duration) at Debug, failures at Error,
/// cancellation at Debug. Queries and documents are never logged (they may be user data).
/// </summary>
public sealed partial class LoggingReranker : DelegatingReranker
{
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The reranker to log.</param>
    /// <param name="logger">Where to log.</param>
    public LoggingReranker(IReranker innerReranker, ILogger logger)
        : base(innerReranker)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        var metadata = Metadata;
        LogInvoked(metadata.ProviderName, metadata.ModelId, documents?.Count ?? 0, options?.TopN);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await base.RerankAsync(query, documents!, options, cancellationToken).ConfigureAwait(false);
            LogCompleted(metadata.ProviderName, metadata.ModelId, results.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return results;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCanceled(metadata.ProviderName, metadata.ModelId);
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(ex, metadata.ProviderName, metadata.ModelId);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reranking {DocumentCount} documents with {Provider}/{Model}, top_n {TopN}.")]
    private partial void LogInvoked(string provider, string? model, int documentCount, int? topN);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reranked with {Provider}/{Model}: {ResultCount} results in {ElapsedMs:0.0} ms.")]
    private partial void LogCompleted(string provider, string? model, int resultCount, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reranking with {Provider}/{Model} was canceled.")]
    private partial void LogCanceled(string provider, string? model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reranking with {Provider}/{Model} failed.")]
    private partial void LogFailed(Exception error, string provider, string? model);
}
