using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Onnx.Embeddings;

namespace SkRerank.Onnx.DependencyInjection;

/// <summary>
/// The local embedding models of one container: one generator per model (and cache folder), behind a query cache and
/// the disk cache, shared by the first stage and the reranker's signals. So a query embedded for the first stage is
/// not embedded again by the reranker's arctic signal, and both stages read one cache file per model. Disposed with
/// the container.
/// </summary>
internal sealed class LocalEmbeddingModels(IServiceProvider services) : IDisposable
{
    /// <summary>The key this registry is registered under.</summary>
    public const string ServiceKey = "SkRerank.LocalEmbeddingModels";

    private readonly Dictionary<(string ModelId, string? CacheDirectory), Lazy<IEmbeddingGenerator<string, Embedding<float>>>> _generators = [];
    private bool _disposed;

    /// <summary>The generator of <paramref name="model"/>, created (and its ONNX session loaded) on first request.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cacheDirectory">Cache root of the document vectors (its <c>embeddings</c> subfolder); <see langword="null"/> for no disk cache.</param>
    public IEmbeddingGenerator<string, Embedding<float>> Get(OnnxEmbeddingModel model, string? cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Lazy<IEmbeddingGenerator<string, Embedding<float>>>? lazy;
        lock (_generators)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_generators.TryGetValue((model.ModelId, cacheDirectory), out lazy))
            {
                // Created outside the lock (a session takes about half a second to load), so models load side by side.
                lazy = new Lazy<IEmbeddingGenerator<string, Embedding<float>>>(() =>
                {
                    // Disk cache outside the query cache: documents are kept on disk, queries in memory, both shared by the stages.
                    var builder = new OnnxEmbeddingGenerator(model).AsBuilder();
                    if (cacheDirectory is not null) builder.UseDiskCache(cacheDirectory);
                    return builder.UseQueryCache().Build(services);
                });
                _generators[(model.ModelId, cacheDirectory)] = lazy;
            }
        }
        return lazy.Value;
    }

    /// <summary>
    /// Loads every model the registrations asked for, each on its own thread-pool thread, and runs each once (the first
    /// run allocates buffers and JIT-compiles), so that start-up does not pay for them one after another.
    /// </summary>
    public Task LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var query = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);
        var requests = services.GetServices<LocalModelRequest>().DistinctBy(r => (r.Model.ModelId, r.CacheDirectory));
        return Task.WhenAll(requests.Select(r => Task.Run(
            () => Get(r.Model, r.CacheDirectory).GenerateAsync(["warm up"], query, cancellationToken), cancellationToken)));
    }

    public void Dispose()
    {
        lock (_generators)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var generator in _generators.Values.Where(l => l.IsValueCreated)) generator.Value.Dispose();
            _generators.Clear();
        }
    }
}
