using System.Globalization;
using System.Net.Http.Headers;

namespace SkRerank.Together;

/// <summary>
/// Reads how long the service asked the client to wait: <c>retry-after-ms</c> (milliseconds, what Together's own SDKs
/// read first), then <c>retry-after</c> as seconds (fractions allowed) or as an HTTP date.
/// </summary>
internal static class TogetherRetryDelay
{
    public const string RetryAfterMsHeader = "retry-after-ms";

    public static bool TryGet(HttpResponseMessage response, TimeProvider timeProvider, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (TryGetHeader(response.Headers, RetryAfterMsHeader, out var msText)
            && double.TryParse(msText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && double.IsFinite(ms) && ms >= 0)
        {
            delay = TimeSpan.FromMilliseconds(ms);
            return true;
        }

        if (TryGetHeader(response.Headers, "Retry-After", out var text))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0)
            {
                delay = TimeSpan.FromSeconds(seconds);
                return true;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - timeProvider.GetUtcNow();
                delay = wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
                return true;
            }
        }

        return false;
    }

    private static bool TryGetHeader(HttpResponseHeaders headers, string name, out string value)
    {
        value = "";
        if (!headers.TryGetValues(name, out var values)) return false;
        value = values.FirstOrDefault()?.Trim() ?? "";
        return value.Length > 0;
    }
}
