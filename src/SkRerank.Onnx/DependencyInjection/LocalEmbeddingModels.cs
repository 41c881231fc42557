using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    private readonly Dictionary<(string ModelId, string? CacheFolder), IEmbeddingGenerator<string, Embedding<float>>> _generators = [];
    private bool _disposed;

    /// <summary>The generator of <paramref name="model"/>, created (and its ONNX session loaded) on first request.</summary>
    /// <param name="model">The model.</param>
    /// <param name="diskCacheFolder">Folder of the document-vector cache; <see langword="null"/> for none.</param>
    public IEmbeddingGenerator<string, Embedding<float>> Get(OnnxEmbeddingModel model, string? diskCacheFolder)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_generators)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_generators.TryGetValue((model.ModelId, diskCacheFolder), out var existing)) return existing;
            // Query cache inside the disk cache: documents are cached on disk, queries in memory, and both stages share them.
            IEmbeddingGenerator<string, Embedding<float>> generator = new QueryEmbeddingCache(new OnnxEmbeddingGenerator(model));
            if (diskCacheFolder is not null)
                generator = new DiskCachingEmbeddingGenerator(generator, diskCacheFolder, services.GetService<ILogger<DiskCachingEmbeddingGenerator>>());
            _generators[(model.ModelId, diskCacheFolder)] = generator;
            return generator;
        }
    }

    /// <summary>The generators created so far (for warm-up).</summary>
    public IReadOnlyList<IEmbeddingGenerator<string, Embedding<float>>> Created
    {
        get
        {
            lock (_generators) return [.. _generators.Values];
        }
    }

    public void Dispose()
    {
        lock (_generators)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var generator in _generators.Values) generator.Dispose();
            _generators.Clear();
        }
    }
}
