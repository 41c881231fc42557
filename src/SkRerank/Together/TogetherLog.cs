using Microsoft.Extensions.Logging;

namespace SkRerank.Together;

// Retries and failures log at Debug: the failure itself reaches the caller as a TogetherException (or a fail-open
// search's rerank_error), so at the default level a failed call costs one line, not one per attempt (--verbose shows them).
// Log messages carry operation, model, counts and status codes only: never headers or bodies, which could hold the key.
internal static partial class TogetherLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Embedding {Count} texts with {Model} in {Batches} requests of up to {BatchSize}, {Concurrency} at a time")]
    public static partial void EmbeddingStarted(ILogger logger, int count, string model, int batches, int batchSize, int concurrency);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Embedded {Count} texts with {Model} ({Dimensions} dimensions) in {ElapsedMs} ms")]
    public static partial void EmbeddingFinished(ILogger logger, int count, string model, int dimensions, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Reranking {Count} documents with {Model}, top_n {TopN}")]
    public static partial void RerankStarted(ILogger logger, int count, string model, int? topN);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Together {Operation}: {Outcome} on attempt {Attempt}; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string operation, string outcome, int attempt, long delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Together {Operation} failed ({Kind}, HTTP {Status}) after {Attempts} attempts")]
    public static partial void Failed(ILogger logger, string operation, TogetherErrorKind kind, int? status, int attempts);
}
