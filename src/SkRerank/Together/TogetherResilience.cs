using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace SkRerank.Together;

/// <summary>
/// Tunes Microsoft.Extensions.Http.Resilience's standard handler for Together: its retry strategy (exponential backoff
/// with jitter, on 408, 429, 5xx, network errors and attempt timeouts) waits as long as <c>retry-after-ms</c> or
/// <c>retry-after</c> asks, where the built-in delay generator only reads <c>Retry-After</c>.
/// </summary>
internal static class TogetherResilience
{
    public static void Configure(HttpStandardResilienceOptions resilience, TogetherOptions options, ILogger logger, TimeProvider timeProvider)
    {
        var retry = resilience.Retry;
        // Polly requires at least one retry attempt; "no retries" becomes a predicate that never retries.
        retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        if (options.MaxRetries == 0) retry.ShouldHandle = _ => ValueTask.FromResult(false);
        retry.BackoffType = Polly.DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.Delay = options.RetryBaseDelay;
        retry.MaxDelay = options.MaxRetryDelay;
        var maxDelay = options.MaxRetryDelay;
        retry.DelayGenerator = args =>
            ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Result is { } response && TogetherRetryDelay.TryGet(response, timeProvider, out var asked)
                    ? (asked > maxDelay ? maxDelay : asked)
                    : null); // null: Polly's exponential backoff with jitter
        retry.OnRetry = args =>
        {
            var outcome = args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "failure";
            var path = args.Outcome.Result?.RequestMessage?.RequestUri?.AbsolutePath ?? "request";
            TogetherLog.Retrying(logger, path, outcome, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds);
            return default;
        };

        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        // The caller's budget (--timeout) when set; otherwise room for every attempt and every wait, so the total
        // timeout never cuts retries short.
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout
            ?? options.Timeout * (options.MaxRetries + 1) + options.MaxRetryDelay * options.MaxRetries + TimeSpan.FromSeconds(1);
        // The standard handler requires a sampling window of at least twice the attempt timeout.
        var sampling = options.AttemptTimeout * 2;
        if (resilience.CircuitBreaker.SamplingDuration < sampling) resilience.CircuitBreaker.SamplingDuration = sampling;
    }
}
