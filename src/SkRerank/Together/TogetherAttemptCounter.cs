using System.Runtime.CompilerServices;

namespace SkRerank.Together;

/// <summary>
/// Counts the HTTP attempts of one logical request. It sits inside the resilience handler, so it sees every retry,
/// and error messages can say "after 4 attempts" truthfully.
/// </summary>
internal sealed class TogetherAttemptCounter : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Key = new("SkRerank.Together.Attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var counter))
        {
            Interlocked.Increment(ref counter.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
