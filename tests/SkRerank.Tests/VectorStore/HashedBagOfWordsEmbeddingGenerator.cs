using Microsoft.Extensions.AI;

namespace SkRerank.Tests.VectorStore;

/// <summary>
/// A deterministic test embedder: each lowercase word adds 1 to the component its FNV-1a hash picks. Texts sharing
/// words get similar vectors, and the same text always gets the same vector.
/// </summary>
public sealed class HashedBagOfWordsEmbeddingGenerator(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Calls => _calls;

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var c in word) hash = (hash ^ c) * 16777619u;
            vector[hash % (uint)dimensions] += 1;
        }
        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var embeddings = values.Select(v => new Embedding<float>(Embed(v, dimensions))).ToList();
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
