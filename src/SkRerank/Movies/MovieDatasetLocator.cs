using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkRerank.Movies;

/// <summary>
/// Finds <c>movies.json</c>: an explicit path, else <c>datasets/movies.json</c>, else <c>../shared/datasets/movies.json</c>
/// (each looked up from the working folder and its parents, so the CLI works from any folder of a clone), else
/// downloads the cookbook's copy into <c>datasets/</c>.
/// </summary>
public sealed partial class MovieDatasetLocator
{
    /// <summary>Where the Together cookbook publishes the dataset.</summary>
    public const string CookbookUrl =
        "https://raw.githubusercontent.com/togethercomputer/together-cookbook/refs/heads/main/datasets/movies.json";

    private readonly HttpClient? _httpClient;
    private readonly ILogger _logger;
    private readonly string _startFolder;

    /// <summary>Creates a locator.</summary>
    /// <param name="startFolder">Where the search starts (default: the working folder).</param>
    /// <param name="httpClient">Used to download the dataset when no copy is found; <see langword="null"/> uses a new client with a 30 s timeout.</param>
    /// <param name="logger">Receives "downloading…" messages.</param>
    public MovieDatasetLocator(string? startFolder = null, HttpClient? httpClient = null, ILogger? logger = null)
    {
        _startFolder = Path.GetFullPath(startFolder ?? Directory.GetCurrentDirectory());
        _httpClient = httpClient;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The URL downloaded from when no copy is found.</summary>
    public string DownloadUrl { get; init; } = CookbookUrl;

    /// <summary>Candidate paths in the order they are tried (without the download).</summary>
    public IEnumerable<string> CandidatePaths()
    {
        for (var dir = new DirectoryInfo(_startFolder); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "datasets", "movies.json");
        for (var dir = new DirectoryInfo(_startFolder); dir is not null; dir = dir.Parent)
            yield return Path.Combine(dir.FullName, "..", "shared", "datasets", "movies.json");
    }

    /// <summary>
    /// Returns the path of the dataset to use.
    /// </summary>
    /// <param name="explicitPath">A path the user gave (<c>--dataset</c>); it must exist.</param>
    /// <param name="allowDownload">Whether to download the cookbook's copy when none is found.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="MovieDatasetException">No dataset could be found or downloaded; the message says where to put it.</exception>
    public async Task<string> LocateAsync(string? explicitPath, bool allowDownload = true, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full) ? full : throw new MovieDatasetException($"Dataset file not found: {full} (given with --dataset).");
        }

        var found = CandidatePaths().FirstOrDefault(File.Exists);
        if (found is not null) return Path.GetFullPath(found);

        var target = Path.Combine(ProjectRoot(), "datasets", "movies.json");
        if (!allowDownload) throw NotFound(target, reason: null);
        try
        {
            LogDownloading(_logger, DownloadUrl, target);
            using var ownedClient = _httpClient is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(30) } : null;
            var client = _httpClient ?? ownedClient!;
            var bytes = await client.GetByteArrayAsync(DownloadUrl, cancellationToken).ConfigureAwait(false);
            // Validate before keeping it, so a captive-portal page never becomes "the dataset".
            await MovieDataset.LoadAsync(new MemoryStream(bytes), DownloadUrl, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".download";
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, target, overwrite: true);
            Downloaded = true;
            return target;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or MovieDatasetException or IOException
                                       && !cancellationToken.IsCancellationRequested)
        {
            throw NotFound(target, ex.Message);
        }
    }

    /// <summary>Whether the last <see cref="LocateAsync"/> downloaded the dataset.</summary>
    public bool Downloaded { get; private set; }

    private MovieDatasetException NotFound(string target, string? reason) => new(
        $"movies.json not found. Put it at {target} or pass --dataset PATH"
        + (reason is null ? "." : $" (downloading {DownloadUrl} failed: {reason.TrimEnd('.')})."));

    // The clone's root is the folder with SkRerank.sln; elsewhere, the working folder.
    private string ProjectRoot()
    {
        for (var dir = new DirectoryInfo(_startFolder); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SkRerank.sln"))) return dir.FullName;
        }
        return _startFolder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No movies.json found; downloading the cookbook's copy from {Url} to {Path}")]
    private static partial void LogDownloading(ILogger logger, string url, string path);
}
