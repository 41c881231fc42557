using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SkRerank.Telemetry;

namespace SkRerank.Reranking;

/// <summary>
/// The second stage shared by every SkRerank search (the two-stage search and the text search decorator): rerank a
/// candidate pool, keep the best top N above the score floor, and fail open visibly when the reranker fails.
/// </summary>
internal static partial class CandidateReranking
{
    /// <summary>The reranked order, or <see langword="null"/> with the reason when the reranker failed and the caller fails open.</summary>
    /// <param name="Ranked">Positions in the candidate pool with their scores, best first (at most top N).</param>
    /// <param name="Error">Why the reranker failed.</param>
    public readonly record struct Outcome(IReadOnlyList<RerankResult>? Ranked, string? Error);

    /// <summary>Reranks <paramref name="documents"/> (the candidates' texts, in first-stage order).</summary>
    /// <exception cref="Exception">Whatever the reranker threw, when <paramref name="failOpen"/> is false; cancellation always.</exception>
    public static async Task<Outcome> RerankAsync(
        IReranker reranker, string query, IReadOnlyList<string> documents, int topN, double? minRelevanceScore, bool failOpen,
        ILogger logger, CancellationToken cancellationToken, TimeSpan? budget = null)
    {
        using var span = SkRerankTelemetry.ActivitySource.StartActivity(SkRerankTelemetry.Spans.Rerank);
        span?.SetTag(SkRerankTelemetry.Attributes.Candidates, documents.Count);
        span?.SetTag(SkRerankTelemetry.Attributes.TopN, topN);
        span?.SetTag(SkRerankTelemetry.Attributes.RerankerProvider, reranker.Metadata.ProviderName);
        span?.SetTag(SkRerankTelemetry.Attributes.RerankerModel, reranker.Metadata.ModelId);
        var started = Stopwatch.GetTimestamp();
        // The search's time budget bounds the reranker (a slow remote one and its retries); what is left of it, at least 1 ms.
        using var deadline = budget is { } left ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        deadline?.CancelAfter(budget!.Value > TimeSpan.FromMilliseconds(1) ? budget.Value : TimeSpan.FromMilliseconds(1));
        try
        {
            IReadOnlyList<RerankResult> ranked;
            try
            {
                ranked = await reranker.RerankAsync(query, documents, new RerankOptions { TopN = Math.Min(topN, documents.Count) },
                    deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The reranker {reranker.Metadata.ProviderName}/{reranker.Metadata.ModelId} did not answer within the search's time budget " +
                    $"(--timeout, Timeout in the search options); raise it, or pick a faster reranker.", ex);
            }
            var kept = new List<RerankResult>(Math.Min(topN, ranked.Count));
            foreach (var item in ranked.OrderByDescending(r => r.RelevanceScore))
            {
                if ((uint)item.Index >= (uint)documents.Count)
                    throw new InvalidOperationException($"The reranker returned index {item.Index} for {documents.Count} documents.");
                if (minRelevanceScore is { } min && item.RelevanceScore < min) continue;
                kept.Add(item);
                if (kept.Count == topN) break;
            }
            span?.SetTag(SkRerankTelemetry.Attributes.Reranked, true);
            return new Outcome(kept, null);
        }
        catch (Exception ex) when (failOpen && ex is not OperationCanceledException)
        {
            // One line at Warning (the message says what to do); the stack trace only at Debug (--verbose).
            LogFailedOpen(logger, reranker.Metadata.ProviderName, reranker.Metadata.ModelId, ex.Message);
            LogFailureDetails(logger, ex);
            span?.SetTag(SkRerankTelemetry.Attributes.Reranked, false);
            span?.SetTag(SkRerankTelemetry.Attributes.FailOpenError, ex.Message);
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            SkRerankTelemetry.FailOpenCount.Add(1);
            return new Outcome(null, ex.Message);
        }
        finally
        {
            SkRerankTelemetry.StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(StageTag, "rerank"));
        }
    }

    /// <summary>The tag naming the stage on <see cref="SkRerankTelemetry.Instruments.StageDuration"/>.</summary>
    internal const string StageTag = "skrerank.stage";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reranker {Provider}/{Model} failed; returning first-stage order (reranked: false). {Reason}")]
    private static partial void LogFailedOpen(ILogger logger, string provider, string? model, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reranker failure details")]
    private static partial void LogFailureDetails(ILogger logger, Exception error);
}
