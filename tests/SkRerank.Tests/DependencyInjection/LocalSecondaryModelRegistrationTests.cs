using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SkRerank.Onnx.Embeddings;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.DependencyInjection;

/// <summary><c>AddLocalMovieSearch</c> gives the first stage all-MiniLM-L6-v2 as a second model unless told otherwise.</summary>
public sealed class LocalSecondaryModelRegistrationTests
{
    private static string? SecondaryModel(Action<SkRerank.Onnx.DependencyInjection.LocalMovieSearchOptions> configure)
    {
        using var temp = new TempDirectory();
        var services = new ServiceCollection();
        services.AddLocalMovieSearch(o =>
        {
            o.CacheDirectory = temp.Path;
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<MovieSearchService>().SecondaryEmbeddingGenerator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
    }

    [Fact]
    public void The_default_first_stage_adds_all_MiniLM_L6_v2() =>
        Assert.Equal(OnnxEmbeddingModel.MiniLmL6V2.ModelId, SecondaryModel(_ => { }));

    [Fact]
    public void No_secondary_model_searches_one_model() =>
        Assert.Null(SecondaryModel(o => o.SecondaryEmbeddingModel = null));

    [Fact]
    public void The_same_model_twice_searches_one_model() =>
        Assert.Null(SecondaryModel(o => o.EmbeddingModel = OnnxEmbeddingModel.MiniLmL6V2));

    [Fact]
    public void The_int8_variant_of_the_second_model_counts_as_the_same_model() =>
        Assert.Null(SecondaryModel(o => o.EmbeddingModel = OnnxEmbeddingModel.MiniLmL6V2Int8));
}
