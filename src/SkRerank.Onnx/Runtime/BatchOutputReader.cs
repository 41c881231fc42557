namespace SkRerank.Onnx.Runtime;

/// <summary>Reads one batch's output.</summary>
/// <param name="batch">The batch as fed to the model (its attention mask, for pooling).</param>
/// <param name="output">The output tensor, row-major.</param>
/// <param name="shape">The output's shape; its first dimension is the batch's row count.</param>
/// <param name="indices">For each row, the index of its sequence in the input list.</param>
internal delegate void BatchOutputReader(PaddedBatch batch, ReadOnlySpan<float> output, long[] shape, ReadOnlySpan<int> indices);
