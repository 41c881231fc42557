using SkRerank.Reranking;

namespace SkRerank.Tests.Reranking;

public sealed class MaxSimKernelTests
{
    [Theory]
    [InlineData(1, 384, 7)]
    [InlineData(4, 384, 92)]
    [InlineData(7, 384, 31)]
    [InlineData(5, 10, 3)] // a width that is no multiple of the vector size takes the scalar path
    public void Best_matches_equal_a_plain_loop_over_every_token_pair(int queryTokens, int dimensions, int documentTokens)
    {
        var random = new Random(queryTokens * 1000 + dimensions);
        var query = Enumerable.Range(0, queryTokens * dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var document = Enumerable.Range(0, documentTokens * dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        var best = new float[queryTokens];
        MaxSimKernel.BestMatches(query, queryTokens, document, dimensions, best);

        for (var q = 0; q < queryTokens; q++)
        {
            var expected = float.NegativeInfinity;
            for (var t = 0; t < documentTokens; t++)
            {
                var dot = 0f;
                for (var k = 0; k < dimensions; k++) dot += query[q * dimensions + k] * document[t * dimensions + k];
                expected = MathF.Max(expected, dot);
            }
            Assert.Equal(expected, best[q], 4);
        }
    }
}
