using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkRerank.Embeddings;

/// <summary>
/// Decorates an embedding generator with a per-model cache on disk, keyed by a hash of each text, so indexing the same
/// movies again embeds nothing, and re-indexing after a change embeds only new or changed texts. Only documents are
/// cached (queries are one-off). A cache file that fails its checks is logged, discarded and rebuilt.
/// Call <see cref="FlushAsync"/> after indexing to persist new entries.
/// </summary>
public sealed class DiskCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ConcurrentDictionary<UInt128, float[]> _entries = new();
    private readonly ILogger _logger;
    private readonly object _flushLock = new();
    private int _dimensions;
    private volatile bool _dirty;
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
        Load();
    }

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
            if (!_dirty || _dimensions == 0) return Task.CompletedTask;
            _dirty = false;
            EmbeddingCacheFile.Write(FilePath, ModelKey, _dimensions, _entries.ToArray());
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(DiskCachingEmbeddingGenerator) ? this : base.GetService(serviceType, serviceKey);

    private void Load()
    {
        if (!File.Exists(FilePath)) return;
        try
        {
            var contents = EmbeddingCacheFile.Read(FilePath, ModelKey);
            _dimensions = contents.Dimensions;
            foreach (var (key, vector) in contents.Entries) _entries[key] = vector;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            DiscardedCorruptFile = true;
            _logger.LogWarning("Discarding embedding cache {Path}: {Reason}. It will be rebuilt.", FilePath, ex.Message);
            _entries.Clear();
            _dirty = true;
        }
    }

    private static string Slug(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
