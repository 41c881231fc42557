using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using SkRerank.Embeddings;

namespace SkRerank.Tests.Support;

/// <summary>
/// A deterministic stand-in embedding model for tests that need many texts embedded fast: a hashed bag of lower-cased
/// words, L2-normalised, so texts sharing words are close. Counts calls and inputs; can prefix queries like an
/// asymmetric model would.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 64, string modelId = "hashing-test") : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls, _inputs;

    public int Calls => _calls;
    public int Inputs => _inputs;
    public List<EmbeddingInputType> InputTypes { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        lock (InputTypes) InputTypes.Add(options.GetInputType());
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            Interlocked.Increment(ref _inputs);
            result.Add(new Embedding<float>(Embed(text, dimensions)));
        }
        return Task.FromResult(result);
    }

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', '\n', ',', '.', '!', '?', ':', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = Fnv(word);
            vector[hash % (uint)dimensions] += 1;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static uint Fnv(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) { h ^= c; h *= 16777619u; }
        return h;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, modelId, dimensions)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
