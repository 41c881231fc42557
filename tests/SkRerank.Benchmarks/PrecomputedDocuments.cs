using Microsoft.Extensions.AI;
using SkRerank.Embeddings;

namespace SkRerank.Benchmarks;

/// <summary>Embeds each document text once and keeps it in memory (what the disk cache gives a warmed-up reranker); queries always reach the model.</summary>
internal sealed class PrecomputedDocuments(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly Dictionary<string, Embedding<float>> _documents = [];

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        if (options.GetInputType() == EmbeddingInputType.Query) return await base.GenerateAsync(texts, options, cancellationToken);
        var missing = texts.Where(t => !_documents.ContainsKey(t)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var generated = await base.GenerateAsync(missing, options, cancellationToken);
            for (var i = 0; i < missing.Count; i++) _documents[missing[i]] = generated[i];
        }
        return [.. texts.Select(t => _documents[t])];
    }
}
