using SkRerank.Cli.Composition;
using SkRerank.Together;

namespace SkRerank.Cli.Chat;

/// <summary>Where the chat model is: an OpenAI-compatible <c>/chat/completions</c> (Together's by default).</summary>
/// <param name="BaseUrl">Up to and including the version segment, e.g. https://api.together.xyz/v1.</param>
/// <param name="ApiKey">The bearer key.</param>
/// <param name="Model">The chat model.</param>
internal sealed record ChatEndpoint(Uri BaseUrl, string ApiKey, string Model)
{
    /// <summary>Together's Llama 3.3 70B: good at tool calls, and served at Together's OpenAI-compatible endpoint.</summary>
    public const string DefaultModel = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

    /// <summary>Reads <c>TOGETHER_BASE_URL</c> (default Together's API) and <c>TOGETHER_API_KEY</c>.</summary>
    /// <exception cref="CliException">The key is missing or the URL is not an absolute http(s) URL.</exception>
    public static ChatEndpoint FromEnvironment(string? model, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var key = getVariable(TogetherOptions.ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new CliException($"chat needs {TogetherOptions.ApiKeyEnvironmentVariable} (a Together API key; with {TogetherOptions.BaseUrlEnvironmentVariable} any OpenAI-compatible server works).");
        var url = getVariable(TogetherOptions.BaseUrlEnvironmentVariable);
        url = string.IsNullOrWhiteSpace(url) ? TogetherOptions.DefaultBaseUrl : url.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            throw new CliException($"{TogetherOptions.BaseUrlEnvironmentVariable} must be an http(s) URL such as {TogetherOptions.DefaultBaseUrl}, not '{url}'.");
        if (model is not null && string.IsNullOrWhiteSpace(model))
            throw new CliException("--chat-model must not be empty.");
        return new ChatEndpoint(baseUrl, key.Trim(), model?.Trim() ?? DefaultModel);
    }
}
