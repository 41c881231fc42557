using Microsoft.Extensions.Options;

namespace SkRerank.Together;

/// <summary>Validates <see cref="TogetherOptions"/> when they are first read, so a missing key fails with a clear message before any request.</summary>
internal sealed class TogetherOptionsValidator : IValidateOptions<TogetherOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TogetherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>, each a sentence a user can act on.</summary>
    internal static List<string> GetFailures(TogetherOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"No Together API key: set the {TogetherOptions.ApiKeyEnvironmentVariable} environment variable (or TogetherOptions.ApiKey).");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"The Together base URL '{options.BaseUrl}' is not an absolute http(s) URL: fix {TogetherOptions.BaseUrlEnvironmentVariable} (or TogetherOptions.BaseUrl), e.g. {TogetherOptions.DefaultBaseUrl}.");
        }

        if (!string.IsNullOrWhiteSpace(options.RerankBaseUrl)
            && (!Uri.TryCreate(options.RerankBaseUrl, UriKind.Absolute, out var rerankUri) || (rerankUri.Scheme != Uri.UriSchemeHttps && rerankUri.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"The rerank base URL '{options.RerankBaseUrl}' is not an absolute http(s) URL: fix --rerank-base-url ({TogetherOptions.RerankBaseUrlEnvironmentVariable}, TogetherOptions.RerankBaseUrl).");
        }

        if (options.TotalTimeout is { } total && total <= TimeSpan.Zero) failures.Add($"--timeout (TogetherOptions.TotalTimeout) must be positive (was {total.TotalSeconds:0.###} s).");
        if (string.IsNullOrWhiteSpace(options.EmbeddingModel)) failures.Add("TogetherOptions.EmbeddingModel is empty.");
        if (string.IsNullOrWhiteSpace(options.RerankModel)) failures.Add("TogetherOptions.RerankModel is empty.");
        if (options.EmbeddingDimensions is < 1) failures.Add($"TogetherOptions.EmbeddingDimensions must be positive (was {options.EmbeddingDimensions}).");
        if (options.EmbeddingBatchSize < 1) failures.Add($"TogetherOptions.EmbeddingBatchSize must be at least 1 (was {options.EmbeddingBatchSize}).");
        if (options.MaxConcurrency < 1) failures.Add($"TogetherOptions.MaxConcurrency must be at least 1 (was {options.MaxConcurrency}).");
        if (options.Timeout <= TimeSpan.Zero) failures.Add($"TogetherOptions.Timeout must be positive (was {options.Timeout}).");
        if (options.MaxRetries is < 0 or > 20) failures.Add($"TogetherOptions.MaxRetries must be between 0 and 20 (was {options.MaxRetries}).");
        if (options.RetryBaseDelay < TimeSpan.Zero) failures.Add($"TogetherOptions.RetryBaseDelay must not be negative (was {options.RetryBaseDelay}).");
        if (options.MaxRetryDelay < options.RetryBaseDelay) failures.Add($"TogetherOptions.MaxRetryDelay ({options.MaxRetryDelay}) must not be less than RetryBaseDelay ({options.RetryBaseDelay}).");
        return failures;
    }
}
