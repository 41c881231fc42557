using Microsoft.Extensions.AI;

namespace SkRerank.Embeddings;

/// <summary>
/// Decorates an embedding generator with an in-process LRU cache of query embeddings. A search embeds its query more
/// than once with the same model (the first stage, then the reranker's similarity signal), and agents repeat queries;
/// each distinct query is embedded once. Concurrent requests for a query that is being embedded wait for that one run
/// instead of starting another. Documents pass straight through: <see cref="DiskCachingEmbeddingGenerator"/> caches them.
/// </summary>
/// <remarks>Thread-safe. Calls that set <see cref="EmbeddingGenerationOptions.ModelId"/> bypass the cache.</remarks>
public sealed class QueryEmbeddingCache : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The default number of queries kept.</summary>
    public const int DefaultCapacity = 1024;

    private readonly object _lock = new();
    private readonly Dictionary<(string Text, int? Dimensions), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _hits, _misses;

    /// <summary>Wraps <paramref name="innerGenerator"/>, keeping up to <paramref name="capacity"/> query vectors.</summary>
    public QueryEmbeddingCache(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, int capacity = DefaultCapacity)
        : base(innerGenerator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most queries kept; the least recently used is evicted first.</summary>
    public int Capacity { get; }

    /// <summary>Queries answered from the cache (or from a run another caller had started).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Queries passed to the inner generator.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Number of cached queries (finished or being embedded).</summary>
    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Forgets every cached query (runs in flight finish for their callers but are not kept).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options.GetInputType() != EmbeddingInputType.Query || options?.ModelId is not null)
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);

        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var dimensions = options?.Dimensions;
        while (true)
        {
            var pending = new Task<Embedding<float>>[texts.Count];
            var mine = new List<(int Index, TaskCompletionSource<Embedding<float>> Source)>();
            lock (_lock)
            {
                for (var i = 0; i < texts.Count; i++)
                {
                    var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
                    if (_entries.TryGetValue((text, dimensions), out var node))
                    {
                        _recency.Remove(node);
                        _recency.AddFirst(node);
                        pending[i] = node.Value.Vector.Task;
                        continue;
                    }
                    // Repeated texts in one call share the entry just added.
                    var source = new TaskCompletionSource<Embedding<float>>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _entries[(text, dimensions)] = _recency.AddFirst(new Entry((text, dimensions), source));
                    pending[i] = source.Task;
                    mine.Add((i, source));
                    if (_entries.Count > Capacity) Evict();
                }
            }
            Interlocked.Add(ref _hits, texts.Count - mine.Count);
            Interlocked.Add(ref _misses, mine.Count);
            Telemetry.SkRerankTelemetry.RecordCacheLookup("query", texts.Count - mine.Count, mine.Count);

            if (mine.Count > 0) await EmbedAsync(texts, mine, options, cancellationToken).ConfigureAwait(false);

            try
            {
                var vectors = await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
                var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
                result.AddRange(vectors);
                return result;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && mine.Count == 0)
            {
                // Another caller's run failed or was cancelled (its entries are gone); try again with our own run.
            }
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(QueryEmbeddingCache) ? this : base.GetService(serviceType, serviceKey);

    private async Task EmbedAsync(
        IReadOnlyList<string> texts,
        List<(int Index, TaskCompletionSource<Embedding<float>> Source)> mine,
        EmbeddingGenerationOptions? options,
        CancellationToken cancellationToken)
    {
        try
        {
            var generated = await base.GenerateAsync(mine.Select(m => texts[m.Index]).ToList(), options, cancellationToken).ConfigureAwait(false);
            if (generated.Count != mine.Count)
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} vectors for {mine.Count} inputs.");
            for (var j = 0; j < mine.Count; j++) mine[j].Source.TrySetResult(generated[j]);
        }
        catch (Exception ex)
        {
            // Failures are not cached: drop the entries so the next call embeds again, then fail the waiters.
            lock (_lock)
            {
                foreach (var (index, source) in mine)
                {
                    if (_entries.TryGetValue((texts[index], options?.Dimensions), out var node) && ReferenceEquals(node.Value.Vector, source))
                    {
                        _entries.Remove(node.Value.Key);
                        _recency.Remove(node);
                    }
                }
            }
            foreach (var (_, source) in mine)
            {
                if (ex is OperationCanceledException) source.TrySetCanceled(cancellationToken);
                else source.TrySetException(ex);
            }
        }
    }

    private void Evict()
    {
        var last = _recency.Last!;
        _recency.RemoveLast();
        _entries.Remove(last.Value.Key);
    }

    private sealed record Entry((string Text, int? Dimensions) Key, TaskCompletionSource<Embedding<float>> Vector);
}
