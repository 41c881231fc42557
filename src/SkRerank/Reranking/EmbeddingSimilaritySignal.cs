using Microsoft.Extensions.AI;
using System.Numerics.Tensors;
using SkRerank.Embeddings;

namespace SkRerank.Reranking;

/// <summary>
/// Cosine similarity between the query and each document under an embedding model. With a second model (one the
/// first stage did not use) it adds independent evidence. Wrap the generator in a caching decorator so that the
/// documents' vectors are computed once.
/// </summary>
public sealed class EmbeddingSimilaritySignal(IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, string? name = null)
    : IFeedbackRelevanceSignal
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator =
        embeddingGenerator ?? throw new ArgumentNullException(nameof(embeddingGenerator));

    /// <summary>The generator that embeds query and documents.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Generator => _generator;

    /// <inheritdoc />
    public string Name { get; } = name ?? (embeddingGenerator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embedding") + "-cosine";

    /// <inheritdoc />
    public async Task<double[]> ScoreAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken = default)
    {
        var (queryVector, documentVectors) = await EmbedAsync(query, documents, cancellationToken).ConfigureAwait(false);
        var scores = new double[documents.Count];
        for (var i = 0; i < scores.Length; i++)
            scores[i] = TensorPrimitives.CosineSimilarity(queryVector.Span, documentVectors[i].Vector.Span);
        return scores;
    }

    /// <inheritdoc />
    /// <remarks>The moved query is the unit query vector plus <paramref name="weight"/> × the mean of the unit feedback vectors.</remarks>
    public async Task<double[]> ScoreWithFeedbackAsync(
        string query, IReadOnlyList<string> documents, IReadOnlyList<int> feedback, double weight, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(feedback);
        var (queryVector, documentVectors) = await EmbedAsync(query, documents, cancellationToken).ConfigureAwait(false);
        var moved = new float[queryVector.Length];
        AddUnit(queryVector.Span, 1, moved);
        if (feedback.Count > 0)
        {
            foreach (var index in feedback)
                AddUnit(documentVectors[index].Vector.Span, (float)(weight / feedback.Count), moved);
        }
        var scores = new double[documents.Count];
        for (var i = 0; i < scores.Length; i++)
            scores[i] = TensorPrimitives.CosineSimilarity(moved, documentVectors[i].Vector.Span);
        return scores;

        static void AddUnit(ReadOnlySpan<float> vector, float scale, Span<float> sum)
        {
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0) TensorPrimitives.MultiplyAdd(vector, scale / norm, sum, sum);
        }
    }

    // Behind the caches the chain should have, both are lookups after the first call.
    private async Task<(ReadOnlyMemory<float> Query, GeneratedEmbeddings<Embedding<float>> Documents)> EmbedAsync(
        string query, IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        var queryVector = (await _generator.GenerateAsync([query], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query), cancellationToken)
            .ConfigureAwait(false))[0].Vector;
        var documentVectors = await _generator.GenerateAsync(documents, new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document), cancellationToken)
            .ConfigureAwait(false);
        return (queryVector, documentVectors);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Embeds the query only when the generator chain has a <see cref="QueryEmbeddingCache"/> to keep it for
    /// <see cref="ScoreAsync"/>; without one the work would be done twice.
    /// </remarks>
    public Task PrepareQueryAsync(string query, CancellationToken cancellationToken = default) =>
        _generator.GetService<QueryEmbeddingCache>() is null
            ? Task.CompletedTask
            : _generator.GenerateAsync([query], new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query), cancellationToken);

    /// <inheritdoc />
    public Task WarmUpAsync(IReadOnlyList<string> documents, CancellationToken cancellationToken = default) =>
        WarmUpAsync(documents, null, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Embeds in chunks of 64 and reports after each; behind a disk cache every chunk is checkpointed as it completes.</remarks>
    public async Task WarmUpAsync(IReadOnlyList<string> documents, IProgress<int>? documentsDone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        const int chunk = 64;
        var options = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Document);
        for (var start = 0; start < documents.Count; start += chunk)
        {
            await _generator.GenerateAsync(documents.Skip(start).Take(chunk), options, cancellationToken).ConfigureAwait(false);
            documentsDone?.Report(Math.Min(start + chunk, documents.Count));
        }
        if (_generator.GetService<DiskCachingEmbeddingGenerator>() is { } cache) await cache.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
