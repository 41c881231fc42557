using Microsoft.Extensions.AI;
using SkRerank.Embeddings;

namespace SkRerank.Tests.Reranking;

/// <summary>
/// A token embedder whose vectors are one-hot per lower-cased word (a word's id is its index in a growing vocabulary),
/// so MaxSim becomes "the weighted share of query words the document contains": late-interaction arithmetic can be
/// asserted exactly. Counts calls, to prove what a cache saves.
/// </summary>
internal sealed class WordTokenEmbeddingGenerator(int dimensions = 64) : IEmbeddingGenerator<string, TokenEmbedding>
{
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public int TextsEmbedded { get; private set; }

    public Task<GeneratedEmbeddings<TokenEmbedding>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<TokenEmbedding>();
        lock (_vocabulary)
        {
            foreach (var text in values)
            {
                TextsEmbedded++;
                var words = text.ToLowerInvariant().Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries);
                var ids = words.Select(w => _vocabulary.TryGetValue(w, out var id) ? id : _vocabulary[w] = _vocabulary.Count).ToArray();
                var vectors = new Half[ids.Length * dimensions];
                for (var t = 0; t < ids.Length; t++) vectors[t * dimensions + ids[t] % dimensions] = (Half)1;
                result.Add(new TokenEmbedding(ids, vectors, dimensions) { ModelId = "words" });
            }
        }
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "words", dimensions) : null;

    public void Dispose()
    {
    }
}
