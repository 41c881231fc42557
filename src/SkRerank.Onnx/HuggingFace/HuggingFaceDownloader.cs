using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace SkRerank.Onnx.HuggingFace;

/// <summary>
/// Downloads model files from the Hugging Face Hub once into a cache folder, checksummed and resumable, so that later
/// runs need no network. One downloader serves embedding models and cross-encoders alike.
/// </summary>
/// <remarks>
/// <para>
/// The cache follows the Hub client's layout: <c>models--{owner}--{name}/refs/{revision}</c> holds the commit a branch
/// resolved to, <c>snapshots/{commit}/{path}</c> the files (so a snapshot folder is the repository's own layout),
/// <c>.no_exist/{commit}/{path}</c> marks files the repository does not have, and <c>blobs/{etag}.partial</c> holds a
/// download in progress. A file gets its final name only after its size and the Hub's checksum (<c>X-Linked-Etag</c>
/// SHA-256 for LFS files, the Git blob SHA-1 <c>ETag</c> otherwise) match, and a <c>.verified/{commit}/{path}</c>
/// marker records that, so later starts check only the size.
/// </para>
/// <para>
/// Once a revision is cached it is used without asking the Hub again (pin a commit with <c>owner/name@commit</c>, or
/// delete the folder, to take a newer one). An interrupted download (Ctrl+C, a dropped connection) leaves its
/// <c>.partial</c> file and continues from there with an HTTP Range request.
/// </para>
/// </remarks>
public sealed class HuggingFaceDownloader : IDisposable
{
    private const int MaxRelativeRedirects = 5;
    private const int ResumeAttempts = 3;

    private readonly string _cacheDirectory;
    private readonly HuggingFaceHubOptions _options;
    private readonly Uri _endpoint;
    private readonly HttpClient? _ownedClient;
    private readonly ConcurrentDictionary<string, string> _pinnedCommits = new(StringComparer.Ordinal);

    /// <summary>Creates a downloader over <paramref name="cacheDirectory"/> (the folder that holds the <c>models--…</c> folders).</summary>
    /// <param name="cacheDirectory">The cache folder, e.g. <c>{cache}/models</c>.</param>
    /// <param name="options">Endpoint, token and client; from the environment when <see langword="null"/>.</param>
    public HuggingFaceDownloader(string cacheDirectory, HuggingFaceHubOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        _options = options ?? new HuggingFaceHubOptions();
        _endpoint = _options.EndpointUri();
        if (_options.HttpClient is null)
        {
            // Redirects are followed by hand: the Hub's own answer carries the checksum, the CDN's does not.
            _ownedClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };
        }
    }

    private HttpClient Http => _options.HttpClient ?? _ownedClient!;

    /// <summary>The folder of <paramref name="repository"/>'s cache, <c>models--{owner}--{name}</c>.</summary>
    public string RepositoryFolder(HuggingFaceRepositoryId repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Path.Combine(_cacheDirectory, $"models--{repository.Owner}--{repository.Name}");
    }

    /// <summary>
    /// The snapshot folder <paramref name="repository"/>'s files are (or go) in, once its revision is known to resolve to
    /// a commit (cached, pinned, or learnt from a download); <see langword="null"/> before that.
    /// </summary>
    public string? SnapshotFolder(HuggingFaceRepositoryId repository) =>
        KnownCommit(repository) is { } commit ? Path.Combine(RepositoryFolder(repository), "snapshots", commit) : null;

    /// <summary>
    /// Returns the local path of <paramref name="filePath"/> in <paramref name="repository"/>, downloading it first unless
    /// it is cached. All files asked of one downloader for one repository come from the same commit.
    /// </summary>
    /// <param name="repository">The model repository.</param>
    /// <param name="filePath">The file inside it, with forward slashes, e.g. <c>onnx/model.onnx</c>.</param>
    /// <param name="required">Whether a missing file is an error; otherwise <see langword="null"/> is returned for it.</param>
    /// <param name="cancellationToken">Stops the download; what arrived is kept for the next attempt.</param>
    /// <exception cref="HuggingFaceDownloadException">The file could not be fetched or verified, or is required and missing.</exception>
    public async Task<string?> GetFileAsync(HuggingFaceRepositoryId repository, string filePath, bool required, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var segments = filePath.Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
        {
            throw new ArgumentException($"'{filePath}' is not a relative file path inside a repository.", nameof(filePath));
        }

        var repoFolder = RepositoryFolder(repository);
        var commit = KnownCommit(repository);
        if (commit is not null)
        {
            if (CachedFile(repoFolder, commit, filePath) is { } cached) return cached;
            if (File.Exists(NoExistMarker(repoFolder, commit, filePath))) return Missing(repository, filePath, required, url: null);
        }

        if (_options.Offline)
        {
            throw new HuggingFaceDownloadException(
                $"{repository} {filePath} is not in the cache ({repoFolder}) and HF_HUB_OFFLINE is set; download it once online, or use a local folder with the model's files.");
        }

        var url = ResolveUrl(repository, commit ?? repository.Revision, filePath);
        var metadata = await ReadMetadataAsync(repository, filePath, url, cancellationToken).ConfigureAwait(false);
        commit ??= metadata.Commit ?? repository.Revision;
        Pin(repository, repoFolder, commit);
        if (metadata.Status == HttpStatusCode.NotFound)
        {
            WriteMarker(NoExistMarker(repoFolder, commit, filePath), "");
            return Missing(repository, filePath, required, url);
        }

        // Another revision may have brought this commit's file already.
        if (CachedFile(repoFolder, commit, filePath) is { } present) return present;
        return await DownloadAsync(repository, filePath, repoFolder, commit, metadata, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the client this downloader created (not one passed in the options).</summary>
    public void Dispose() => _ownedClient?.Dispose();

    private string? KnownCommit(HuggingFaceRepositoryId repository)
    {
        if (repository.IsCommit) return repository.Revision;
        if (_pinnedCommits.TryGetValue(repository.ToString(), out var pinned)) return pinned;
        var refFile = Path.Combine(RepositoryFolder(repository), "refs", repository.Revision);
        if (!File.Exists(refFile)) return null;
        var commit = File.ReadAllText(refFile).Trim();
        return commit.Length > 0 && commit.IndexOfAny(['/', '\\']) < 0 && commit is not ("." or "..") ? _pinnedCommits.GetOrAdd(repository.ToString(), commit) : null;
    }

    private void Pin(HuggingFaceRepositoryId repository, string repoFolder, string commit)
    {
        _pinnedCommits.TryAdd(repository.ToString(), commit);
        if (!repository.IsCommit) WriteMarker(Path.Combine(repoFolder, "refs", repository.Revision), commit);
    }

    private Uri ResolveUrl(HuggingFaceRepositoryId repository, string revision, string filePath) =>
        new($"{_endpoint.AbsoluteUri.TrimEnd('/')}/{repository.Owner}/{repository.Name}/resolve/{Uri.EscapeDataString(revision)}/"
            + string.Join('/', filePath.Split('/').Select(Uri.EscapeDataString)));

    private static string? CachedFile(string repoFolder, string commit, string filePath)
    {
        var path = SnapshotPath(repoFolder, commit, filePath);
        var marker = VerifiedMarker(repoFolder, commit, filePath);
        if (!File.Exists(path) || !File.Exists(marker)) return null;
        // The marker holds the size verified at download: a file cut short since (a full disk, a bad copy) is fetched again.
        var lines = File.ReadAllLines(marker);
        return lines.Length >= 2 && long.TryParse(lines[1], out var size) && new FileInfo(path).Length == size ? path : null;
    }

    private string? Missing(HuggingFaceRepositoryId repository, string filePath, bool required, Uri? url)
    {
        if (!required) return null;
        throw new HuggingFaceDownloadException(
            $"{repository} has no file {filePath} on {_endpoint.Host}" + (url is null ? " (cached answer)." : $" (HTTP 404 at {url})."));
    }

    private async Task<FileMetadata> ReadMetadataAsync(HuggingFaceRepositoryId repository, string filePath, Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, current);
            // The size of the file itself, not of a compressed transfer.
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            Authorize(request);
            using var response = await SendAsync(request, repository, filePath, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var location = response.Headers.Location;
            if (status is >= 300 and < 400 && location is not null && !location.IsAbsoluteUri && hop < MaxRelativeRedirects)
            {
                // A renamed repository: same host, follow with the token.
                current = new Uri(current, location);
                continue;
            }

            // The commit names a folder: anything but a plain name is ignored.
            var commit = Header(response, "X-Repo-Commit") is { } header && header.Length <= 128 && header.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                ? header
                : null;
            if (response.StatusCode == HttpStatusCode.NotFound && Header(response, "X-Error-Code") is null or "EntryNotFound")
            {
                return new FileMetadata(HttpStatusCode.NotFound, commit, null, null, current);
            }

            if (status is >= 200 and < 400)
            {
                var etag = HubChecksum.Normalize(Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag"));
                var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
                var download = status >= 300 && location is not null ? new Uri(current, location) : current;
                return new FileMetadata(response.StatusCode, commit, etag, size, download);
            }

            throw StatusError(repository, filePath, response);
        }
    }

    private HuggingFaceDownloadException StatusError(HuggingFaceRepositoryId repository, string filePath, HttpResponseMessage response)
    {
        var code = Header(response, "X-Error-Code");
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var hint = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound when code is not "RevisionNotFound" =>
                _options.Token is null
                    ? "check the model id; for a gated or private model accept its terms on the Hub and set HF_TOKEN"
                    : "check the model id, and that the HF_TOKEN in use may read it",
            HttpStatusCode.NotFound => $"the revision '{repository.Revision}' does not exist",
            _ => "try again later, or set HF_ENDPOINT to a mirror",
        };
        return new HuggingFaceDownloadException($"Could not download {repository} {filePath} from {_endpoint.Host}: {status}; {hint}.");
    }

    private async Task<string> DownloadAsync(
        HuggingFaceRepositoryId repository, string filePath, string repoFolder, string commit, FileMetadata metadata, CancellationToken cancellationToken)
    {
        var blobName = metadata.ETag ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{commit}/{filePath}")));
        var partial = Path.Combine(repoFolder, "blobs", blobName + ".partial");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);

        // A second pass starts over when the finished file fails its checksum (a resumed part may have been stale).
        for (var pass = 0; ; pass++)
        {
            await FetchIntoAsync(repository, filePath, metadata, partial, cancellationToken).ConfigureAwait(false);
            if (await HubChecksum.MatchesAsync(partial, metadata.ETag, cancellationToken).ConfigureAwait(false)) break;
            File.Delete(partial);
            if (pass > 0)
            {
                throw new HuggingFaceDownloadException(
                    $"{repository} {filePath} from {_endpoint.Host} does not match its checksum {metadata.ETag} (downloaded twice); nothing was kept.");
            }
        }

        var destination = SnapshotPath(repoFolder, commit, filePath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var length = new FileInfo(partial).Length;
        File.Move(partial, destination, overwrite: true);
        WriteMarker(VerifiedMarker(repoFolder, commit, filePath), $"{metadata.ETag}\n{length}\n");
        return destination;
    }

    private async Task FetchIntoAsync(HuggingFaceRepositoryId repository, string filePath, FileMetadata metadata, string partial, CancellationToken cancellationToken)
    {
        Exception? lastError = null;
        for (var attempt = 0; attempt < ResumeAttempts; attempt++)
        {
            var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            if (metadata.Size is { } expected && have > expected)
            {
                File.Delete(partial);
                have = 0;
            }

            if (metadata.Size is { } size && have == size && size > 0) return;
            using var request = new HttpRequestMessage(HttpMethod.Get, metadata.DownloadUrl);
            if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
            Authorize(request);
            HttpResponseMessage sent;
            try
            {
                sent = await SendAsync(request, repository, filePath, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            }
            catch (HuggingFaceDownloadException e) when (e.InnerException is HttpRequestException && attempt < ResumeAttempts - 1)
            {
                // The Hub answered a moment ago: a connection dropped before the body is worth another try.
                lastError = e.InnerException;
                continue;
            }

            using var response = sent;
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(partial);
                continue;
            }

            if (!response.IsSuccessStatusCode) throw StatusError(repository, filePath, response);
            // A server that ignores the range sends the whole file again.
            var resume = response.StatusCode == HttpStatusCode.PartialContent && have > 0;
            try
            {
                await using var target = new FileStream(partial, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var buffer = new byte[1 << 16];
                var received = resume ? have : 0;
                int read;
                _options.Progress?.Report(new ModelDownloadProgress(repository.Id, filePath, received, metadata.Size));
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    _options.Progress?.Report(new ModelDownloadProgress(repository.Id, filePath, received, metadata.Size));
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // A dropped connection: keep what arrived and ask for the rest.
                lastError = e;
                continue;
            }

            var length = new FileInfo(partial).Length;
            if (metadata.Size is not { } total || length == total) return;
            lastError = new IOException($"the file ended after {length} of {total} bytes");
        }

        throw new HuggingFaceDownloadException(
            $"Could not download {repository} {filePath} from {_endpoint.Host}: {lastError?.Message.TrimEnd('.') ?? "no data"} ({ResumeAttempts} attempts); run again to resume.",
            lastError);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, HuggingFaceRepositoryId repository, string filePath, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await Http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is TaskCanceledException ? "timed out" : e.Message.TrimEnd('.');
            throw new HuggingFaceDownloadException(
                $"Could not reach {request.RequestUri!.Host} to download {repository} {filePath}: {reason}; check the connection, set HF_ENDPOINT to a mirror you can reach, or use a local folder with the model's files.",
                e);
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        // The token goes to the Hub only, never to the CDN that serves large files.
        if (_options.Token is { Length: > 0 } token && Uri.Compare(request.RequestUri, _endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    private static string SnapshotPath(string repoFolder, string commit, string filePath) =>
        Path.Combine([repoFolder, "snapshots", commit, .. filePath.Split('/')]);

    private static string VerifiedMarker(string repoFolder, string commit, string filePath) =>
        Path.Combine([repoFolder, ".verified", commit, .. filePath.Split('/')]);

    private static string NoExistMarker(string repoFolder, string commit, string filePath) =>
        Path.Combine([repoFolder, ".no_exist", commit, .. filePath.Split('/')]);

    private static void WriteMarker(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record FileMetadata(HttpStatusCode Status, string? Commit, string? ETag, long? Size, Uri DownloadUrl);
}
