namespace SkRerank.Onnx.Quantization;

/// <summary>A quantized model.</summary>
/// <param name="Bytes">The ONNX protobuf bytes.</param>
/// <param name="QuantizedMatMuls">How many MatMul nodes now run in int8.</param>
internal sealed record QuantizedModel(byte[] Bytes, int QuantizedMatMuls);
