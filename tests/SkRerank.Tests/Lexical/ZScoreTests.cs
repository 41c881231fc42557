using SkRerank.Lexical;

namespace SkRerank.Tests.Lexical;

public sealed class ZScoreTests
{
    [Fact]
    public void Standard_scores_have_mean_zero_and_deviation_one()
    {
        double[] values = [3, 7, 1, 9, 5];
        var z = new double[values.Length];

        ZScore.Standardize(values, z);

        Assert.Equal(0, z.Average(), 10);
        Assert.Equal(1, Math.Sqrt(z.Sum(v => v * v) / z.Length), 10);
        Assert.Equal(Array.IndexOf(values, values.Max()), Array.IndexOf(z, z.Max()));
    }

    [Fact]
    public void Equal_values_carry_no_evidence_and_standardize_to_zero()
    {
        var z = new double[3];
        ZScore.Standardize([0.5, 0.5, 0.5], z);
        Assert.Equal([0.0, 0.0, 0.0], z);
    }
}
