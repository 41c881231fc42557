using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SkRerank.Embeddings;
using SkRerank.Movies;
using SkRerank.Onnx.Embeddings;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.Cli.Composition;

/// <summary>Creates the embedding generator and reranker a user picked by name on the command line.</summary>
internal sealed class ComponentFactory(ILoggerFactory loggerFactory, string cacheDirectory)
{
    public static readonly string[] EmbeddingChoices = ["arctic", "minilm", "together"];
    public static readonly string[] RerankerChoices = ["local", "together", "none", "cross-encoder"];

    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(string name, List<IDisposable> owned)
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = name switch
        {
            "arctic" => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticEmbedXs),
            "minilm" => new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2),
            "together" => CreateTogetherEmbeddingGenerator(),
            _ => throw new CliException($"Unknown --embeddings '{name}'; use one of: {string.Join(", ", EmbeddingChoices)}."),
        };
        owned.Add(generator);
        return generator;
    }

    public async Task<IReranker?> CreateRerankerAsync(
        string name, IEmbeddingGenerator<string, Embedding<float>> firstStageEmbedder, IReadOnlyList<Movie> movies,
        List<IDisposable> owned, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "none":
                return null;
            case "local":
            {
                var reranker = CreateLocalReranker(firstStageEmbedder, owned);
                var texts = movies.Select(m => MovieText.Compose(m, new MovieSearchOptions().RerankFields)).ToList();
                await reranker.WarmUpAsync(texts, cancellationToken).ConfigureAwait(false);
                return reranker;
            }
            case "together":
                return CreateTogetherReranker();
            case "cross-encoder":
                return await CreateCrossEncoderAsync(cancellationToken).ConfigureAwait(false);
            default:
                throw new CliException($"Unknown --reranker '{name}'; use one of: {string.Join(", ", RerankerChoices)}.");
        }
    }

    private SignalFusionReranker CreateLocalReranker(IEmbeddingGenerator<string, Embedding<float>> firstStageEmbedder, List<IDisposable> owned)
    {
        var miniLm = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.MiniLmL6V2);
        owned.Add(miniLm);
        var cachedMiniLm = new DiskCachingEmbeddingGenerator(miniLm, Path.Combine(cacheDirectory, "embeddings"),
            loggerFactory.CreateLogger<DiskCachingEmbeddingGenerator>());
        owned.Add(cachedMiniLm);
        return SkRerank.Onnx.Reranking.LocalFusionReranker.Create(cachedMiniLm);
    }

    private IEmbeddingGenerator<string, Embedding<float>> CreateTogetherEmbeddingGenerator() =>
        throw new CliException("The Together provider is not wired yet.");

    private IReranker CreateTogetherReranker() =>
        throw new CliException("The Together provider is not wired yet.");

    private Task<IReranker> CreateCrossEncoderAsync(CancellationToken cancellationToken) =>
        throw new CliException("The cross-encoder reranker is not wired yet.");
}
