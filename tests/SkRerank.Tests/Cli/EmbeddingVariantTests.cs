using SkRerank.Cli.Composition;
using SkRerank.Onnx.Embeddings;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

public sealed class EmbeddingVariantTests
{
    [Theory]
    [InlineData(null, "local", "arctic-int8", "int8")]
    [InlineData("arctic", "local", "arctic-int8", "int8")]
    [InlineData("ARCTIC", "local", "arctic-int8", "int8")]
    [InlineData("minilm", "local", "minilm-int8", "int8")]
    [InlineData("arctic-fp32", "local", "arctic-fp32", "fp32")]
    [InlineData("minilm-fp32", "local", "minilm-fp32", "fp32")]
    [InlineData("arctic-int8", "local", "arctic-int8", "int8")]
    [InlineData(null, "together", "together", "int8")]
    public void The_old_names_mean_the_int8_models_and_explicit_names_pick_a_precision(string? embeddings, string provider, string model, string precision)
    {
        var settings = new PipelineSettings { Embeddings = embeddings, Provider = provider };

        Assert.Equal((model, precision), (settings.EffectiveEmbeddings, settings.FirstStagePrecision));
    }

    [Fact]
    public void Each_variant_name_opens_its_own_model_and_int8_ones_quantize_into_the_cache_folder()
    {
        using var temp = new TempDirectory();

        Assert.Same(OnnxEmbeddingModel.ArcticEmbedXs, ComponentFactory.LocalEmbeddingModel("arctic-fp32", temp.Path));
        Assert.Same(OnnxEmbeddingModel.MiniLmL6V2, ComponentFactory.LocalEmbeddingModel("minilm-fp32", temp.Path));
        Assert.Equal("snowflake-arctic-embed-xs-int8", ComponentFactory.LocalEmbeddingModel("arctic-int8", temp.Path).ModelId);
        Assert.Equal("all-MiniLM-L6-v2-int8", ComponentFactory.LocalEmbeddingModel("minilm-int8", temp.Path).ModelId);
        var error = Assert.Throws<CliException>(() => ComponentFactory.LocalEmbeddingModel("arctic-fp16", temp.Path));
        Assert.Contains("arctic-fp32", error.Message);
    }
}
