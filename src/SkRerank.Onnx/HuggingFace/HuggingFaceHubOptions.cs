namespace SkRerank.Onnx.HuggingFace;

/// <summary>
/// Where and how models are fetched from the Hugging Face Hub. The defaults read the environment variables of the
/// Hugging Face tools: <c>HF_ENDPOINT</c> (a mirror or a private Hub), <c>HF_TOKEN</c> (gated or private models) and
/// <c>HF_HUB_OFFLINE</c> (never touch the network; use what is cached).
/// </summary>
public sealed class HuggingFaceHubOptions
{
    /// <summary>The Hub's address when <c>HF_ENDPOINT</c> is not set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Base address of the Hub; files are read from <c>{Endpoint}/{repo}/resolve/{revision}/{path}</c>.</summary>
    public string Endpoint { get; set; } = FromEnvironment("HF_ENDPOINT") ?? DefaultEndpoint;

    /// <summary>
    /// Access token sent as <c>Authorization: Bearer</c> to <see cref="Endpoint"/> only (never to the CDN it redirects
    /// to, never logged or printed).
    /// </summary>
    public string? Token { get; set; } = FromEnvironment("HF_TOKEN");

    /// <summary>Whether to use only cached files (<c>HF_HUB_OFFLINE=1</c>); a file not cached is an error.</summary>
    public bool Offline { get; set; } = FromEnvironment("HF_HUB_OFFLINE") is "1" or "true" or "TRUE" or "True" or "yes";

    /// <summary>Client for the downloads; a new one (not following redirects by itself) when <see langword="null"/>.</summary>
    /// <remarks>
    /// The Hub answers with the file's checksum on its own response and redirects large files to a CDN. A client that
    /// follows redirects by itself hides that answer, so files downloaded through it are checked by size only.
    /// </remarks>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Receives download progress (bytes of the current file) after every read, on the downloading thread, e.g. to draw a progress bar.</summary>
    public IProgress<ModelDownloadProgress>? Progress { get; set; }

    internal Uri EndpointUri()
    {
        if (!Uri.TryCreate(Endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The Hugging Face endpoint '{Endpoint}' (HF_ENDPOINT) is not an http(s) address.", nameof(Endpoint));
        }

        return uri;
    }

    private static string? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
