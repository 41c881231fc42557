using Microsoft.Extensions.AI;
using SkRerank.Embeddings;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Embeddings;

public class DiskCachingEmbeddingGeneratorTests
{
    private static readonly string[] Texts = ["batman fights crime", "a love story", "space survival"];

    [Fact]
    public async Task A_second_generator_on_the_same_folder_embeds_nothing()
    {
        using var temp = new TempDirectory();
        var first = new HashingEmbeddingGenerator();
        using (var cache = new DiskCachingEmbeddingGenerator(first, temp.Path))
        {
            await cache.GenerateAsync(Texts);
            await cache.FlushAsync();
        }
        Assert.Equal(3, first.Inputs);

        var second = new HashingEmbeddingGenerator();
        using var reloaded = new DiskCachingEmbeddingGenerator(second, temp.Path);
        var vectors = await reloaded.GenerateAsync(Texts);

        Assert.Equal(0, second.Inputs);
        Assert.Equal(HashingEmbeddingGenerator.Embed(Texts[1], 64), vectors[1].Vector.ToArray());
    }

    [Fact]
    public async Task Only_new_or_changed_texts_reach_the_model()
    {
        using var temp = new TempDirectory();
        var inner = new HashingEmbeddingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, temp.Path);
        await cache.GenerateAsync(Texts);
        await cache.GenerateAsync(["batman fights crime", "a love story, revised", "space survival"]);
        Assert.Equal(4, inner.Inputs);
        Assert.Equal(1, cache.Misses - 3);
    }

    [Fact]
    public async Task Queries_are_not_cached()
    {
        using var temp = new TempDirectory();
        var inner = new HashingEmbeddingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, temp.Path);
        var queryOptions = new EmbeddingGenerationOptions().WithInputType(EmbeddingInputType.Query);
        await cache.GenerateAsync(["bats"], queryOptions);
        await cache.GenerateAsync(["bats"], queryOptions);
        Assert.Equal(2, inner.Inputs);
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncate")]
    [InlineData("flip")]
    public async Task A_corrupted_file_is_detected_discarded_and_rebuilt(string damage)
    {
        using var temp = new TempDirectory();
        string path;
        using (var cache = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path))
        {
            await cache.GenerateAsync(Texts);
            await cache.FlushAsync();
            path = cache.FilePath;
        }
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "garbage": File.WriteAllText(path, "not a cache"); break;
            case "truncate": File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            default: bytes[bytes.Length / 2] ^= 0xFF; File.WriteAllBytes(path, bytes); break;
        }

        var inner = new HashingEmbeddingGenerator();
        using var reloaded = new DiskCachingEmbeddingGenerator(inner, temp.Path);
        Assert.True(reloaded.DiscardedCorruptFile);
        Assert.Equal(0, reloaded.Count);
        var vectors = await reloaded.GenerateAsync(Texts);
        await reloaded.FlushAsync();

        Assert.Equal(3, inner.Inputs); // rebuilt from the model, never served from the damaged file
        Assert.Equal(HashingEmbeddingGenerator.Embed(Texts[0], 64), vectors[0].Vector.ToArray());
        using var again = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(), temp.Path);
        Assert.False(again.DiscardedCorruptFile);
        Assert.Equal(3, again.Count);
    }

    [Fact]
    public async Task Different_models_never_share_vectors()
    {
        using var temp = new TempDirectory();
        using (var a = new DiskCachingEmbeddingGenerator(new HashingEmbeddingGenerator(64, "model-a"), temp.Path))
        {
            await a.GenerateAsync(Texts);
            await a.FlushAsync();
        }
        var innerB = new HashingEmbeddingGenerator(32, "model-b");
        using var b = new DiskCachingEmbeddingGenerator(innerB, temp.Path);
        var vectors = await b.GenerateAsync(Texts);
        Assert.Equal(3, innerB.Inputs);
        Assert.Equal(32, vectors[0].Vector.Length);
    }
}
