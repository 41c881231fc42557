using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkRerank.Embeddings;

/// <summary>
/// Decorates an embedding generator with a per-model cache on disk, keyed by a hash of each text, so indexing the same
/// movies again embeds nothing, and re-indexing after a change embeds only new or changed texts. Only documents are
/// cached (queries are one-off). A cache file that fails its checks is logged, discarded and rebuilt.
/// Every generated batch is appended to a journal beside the cache file as soon as it is embedded, so an interrupted
/// run (Ctrl+C, SIGTERM, a crash) keeps all but the batch in flight and the next run resumes from there;
/// <see cref="FlushAsync"/> folds the journal into the cache file. A folder that cannot be written (read-only, full,
/// no permission) costs a warning, not the run: vectors then live in memory only.
/// </summary>
public sealed partial class DiskCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ConcurrentDictionary<UInt128, float[]> _entries = new();
    private readonly ILogger _logger;
    private readonly object _flushLock = new();
    private int _dimensions;
    private volatile bool _dirty;
    private volatile bool _readOnly;
    private long _hits, _misses;

    /// <summary>Wraps <paramref name="innerGenerator"/>, caching its vectors in <paramref name="cacheDirectory"/>.</summary>
    /// <param name="innerGenerator">The generator whose results are cached.</param>
    /// <param name="cacheDirectory">Folder for the cache file (created when needed).</param>
    /// <param name="logger">Receives a warning when a cache file is discarded.</param>
    public DiskCachingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        string cacheDirectory,
        ILogger<DiskCachingEmbeddingGenerator>? logger = null)
        : base(innerGenerator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        ModelKey = $"{metadata?.ProviderName ?? "unknown"}/{metadata?.DefaultModelId ?? "default"}";
        FilePath = Path.Combine(cacheDirectory, Slug(ModelKey) + ".skvec");
        JournalPath = EmbeddingJournalFile.PathFor(FilePath);
        Storage.ChecksummedFile.DeleteStaleTemporaryFiles(FilePath);
        Load();
    }

    /// <summary>The checkpoint journal beside <see cref="FilePath"/>, folded into it by <see cref="FlushAsync"/>.</summary>
    public string JournalPath { get; }

    /// <summary>Whether writing the cache failed (read-only, full or forbidden folder): vectors are kept in memory only.</summary>
    public bool WritesFailed => _readOnly;

    /// <summary>Identifies the model the cache belongs to (provider/model id); vectors of different models never mix.</summary>
    public string ModelKey { get; }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>Whether the last load found a file that failed its checks and was discarded.</summary>
    public bool DiscardedCorruptFile { get; private set; }

    /// <summary>Texts served from the cache since creation.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Texts passed to the inner generator since creation.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Number of cached vectors.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputType = options.GetInputType();
        if (inputType == EmbeddingInputType.Query)
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);

        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var keys = new UInt128[texts.Count];
        var vectors = new float[]?[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            keys[i] = EmbeddingCacheFile.KeyOf(inputType, texts[i]);
            if (_entries.TryGetValue(keys[i], out var cached)) vectors[i] = cached;
            else missing.Add(i);
        }
        Interlocked.Add(ref _hits, texts.Count - missing.Count);
        Interlocked.Add(ref _misses, missing.Count);
        Telemetry.SkRerankTelemetry.RecordCacheLookup("disk", texts.Count - missing.Count, missing.Count);

        if (missing.Count > 0)
        {
            var generated = await base.GenerateAsync(missing.Select(i => texts[i]).ToList(), options, cancellationToken).ConfigureAwait(false);
            if (generated.Count != missing.Count)
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} vectors for {missing.Count} inputs.");
            for (var j = 0; j < missing.Count; j++)
            {
                var vector = generated[j].Vector.ToArray();
                if (_dimensions == 0) Interlocked.CompareExchange(ref _dimensions, vector.Length, 0);
                if (vector.Length != _dimensions)
                    throw new InvalidOperationException($"The embedding generator returned a {vector.Length}-d vector; earlier vectors of {ModelKey} are {_dimensions}-d.");
                vectors[missing[j]] = vector;
                _entries[keys[missing[j]]] = vector;
            }
            _dirty = true;
            Checkpoint(missing.Select(i => new KeyValuePair<UInt128, float[]>(keys[i], vectors[i]!)).ToList());
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var vector in vectors) result.Add(new Embedding<float>(vector!) { ModelId = ModelKey });
        return result;
    }

    /// <summary>Writes new entries to disk (atomically); does nothing when nothing changed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_flushLock)
        {
            if (!_dirty || _dimensions == 0 || _readOnly) return Task.CompletedTask;
            _dirty = false;
            try
            {
                EmbeddingCacheFile.Write(FilePath, ModelKey, _dimensions, _entries.ToArray());
                File.Delete(JournalPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                CannotWrite(ex);
            }
        }
        return Task.CompletedTask;
    }

    // Appends a batch to the journal; a busy journal (another process appending) only skips this checkpoint.
    private void Checkpoint(IReadOnlyList<KeyValuePair<UInt128, float[]>> batch)
    {
        if (_readOnly || batch.Count == 0) return;
        lock (_flushLock)
        {
            try
            {
                EmbeddingJournalFile.Append(JournalPath, ModelKey, _dimensions, batch);
            }
            catch (UnauthorizedAccessException ex)
            {
                CannotWrite(ex);
            }
            catch (IOException ex) when (!IsSharingViolation(ex))
            {
                CannotWrite(ex);
            }
            catch (IOException)
            {
                // another process holds the journal; FlushAsync still saves everything
            }
        }
    }

    private static bool IsSharingViolation(IOException ex) =>
        ex.HResult is 32 or unchecked((int)0x80070020) || ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);

    private void CannotWrite(Exception ex)
    {
        if (_readOnly) return;
        _readOnly = true;
        LogCannotWrite(_logger, FilePath, ex.Message);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(DiskCachingEmbeddingGenerator) ? this : base.GetService(serviceType, serviceKey);

    private void Load()
    {
        LoadCacheFile();
        // A journal holds the batches of a run that did not finish (or of one whose flush failed): resume from them.
        var (dimensions, journal) = EmbeddingJournalFile.Read(JournalPath, ModelKey, _dimensions);
        if (journal.Count == 0) return;
        _dimensions = dimensions;
        foreach (var (key, vector) in journal) _entries[key] = vector;
        _dirty = true;
        LogResumed(_logger, journal.Count, ModelKey, JournalPath);
    }

    private void LoadCacheFile()
    {
        if (!File.Exists(FilePath)) return;
        try
        {
            var contents = EmbeddingCacheFile.Read(FilePath, ModelKey);
            _dimensions = contents.Dimensions;
            foreach (var (key, vector) in contents.Entries) _entries[key] = vector;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or UnauthorizedAccessException)
        {
            DiscardedCorruptFile = true;
            LogDiscarding(_logger, FilePath, ex.Message);
            _entries.Clear();
            _dirty = true;
        }
    }

    private static string Slug(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write the embedding cache {Path} ({Reason}); this run keeps its vectors in memory only.")]
    private static partial void LogCannotWrite(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} vectors of {Model} from the checkpoint journal {Path}.")]
    private static partial void LogResumed(ILogger logger, int count, string model, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarding embedding cache {Path}: {Reason}. It will be rebuilt.")]
    private static partial void LogDiscarding(ILogger logger, string path, string reason);
}
