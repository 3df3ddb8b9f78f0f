package io.axle.serving.model;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.DataType;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.ModelSignature;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model in an ONNX Runtime session: on CUDA device {@code n} when asked and the runtime has the CUDA provider,
 * else on the CPU. Only tensor outputs of the types Axle knows are fetched (a classifier's ZipMap output is skipped).
 */
public final class OnnxModel implements Model {
    private static final Logger log = LoggerFactory.getLogger(OnnxModel.class);

    private final String name;
    private final Optional<String> version;
    private final OrtSession session;
    private final ModelSignature signature;
    private final Set<String> outputNames;
    private final String executionProvider;

    private OnnxModel(
            String name,
            Optional<String> version,
            OrtSession session,
            ModelSignature signature,
            String executionProvider) {
        this.name = name;
        this.version = version;
        this.session = session;
        this.signature = signature;
        this.executionProvider = executionProvider;
        Set<String> outputs = new LinkedHashSet<>();
        signature.outputs().forEach(output -> outputs.add(output.name()));
        this.outputNames = outputs;
    }

    /**
     * Opens {@code file}. A tensor-based {@code declared} signature whose inputs match the graph's narrows the graph's
     * free dimensions (a {@code [-1, 4]} signature over a {@code [batch, features]} graph); the graph's types rule.
     */
    public static OnnxModel open(
            Path file, String name, Optional<String> version, Optional<MlflowSignature> declared, LoadOptions options) {
        requireNonNull(file, "file is null");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            if (options.intraOpThreads() > 0) {
                sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            }
            String provider = chooseProvider(sessionOptions, name, options);
            OrtSession session = environment.createSession(file.toString(), sessionOptions);
            try {
                ModelSignature graph =
                        new ModelSignature(specs(session.getInputInfo(), true), specs(session.getOutputInfo(), false));
                if (graph.outputs().isEmpty()) {
                    throw AxleException.invalidParameter(
                            "model '" + name + "' has no tensor output of a type Axle serves (FP32, FP64, INT32,"
                                    + " INT64, BOOL, STRING)");
                }
                return new OnnxModel(name, version, session, narrow(graph, declared), provider);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new AxleException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    private static String chooseProvider(OrtSession.SessionOptions sessionOptions, String name, LoadOptions options)
            throws OrtException {
        if (!options.device().cuda()) {
            return "cpu";
        }
        int index = options.device().cudaIndex();
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            log.warn(
                    "Model '{}' runs on the CPU, not CUDA device {} ({}): this ONNX Runtime is the CPU build, without"
                            + " the CUDA execution provider",
                    name,
                    index,
                    options.device().describe());
            return "cpu";
        }
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(index)) {
            if (options.gpuMemoryLimitBytes().isPresent()) {
                cuda.add(
                        "gpu_mem_limit",
                        Long.toString(options.gpuMemoryLimitBytes().getAsLong()));
            }
            sessionOptions.addCUDA(cuda);
            return "cuda:" + index;
        } catch (OrtException e) {
            log.warn(
                    "Model '{}' runs on the CPU, not CUDA device {} ({}): the CUDA execution provider failed to"
                            + " start: {}",
                    name,
                    index,
                    options.device().describe(),
                    e.getMessage());
            return "cpu";
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos, boolean inputs) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            Optional<DataType> type = node.getInfo() instanceof TensorInfo tensor ? dataType(tensor) : Optional.empty();
            if (type.isEmpty()) {
                if (inputs) {
                    throw AxleException.invalidParameter("input '" + node.getName() + "' is a " + node.getInfo()
                            + "; Axle serves models whose inputs are FP32, FP64, INT32, INT64, BOOL or STRING"
                            + " tensors");
                }
                log.info(
                        "Output '{}' ({}) is not served: not a tensor of a type Axle serves",
                        node.getName(),
                        node.getInfo());
                continue;
            }
            specs.add(new TensorSpec(node.getName(), type.get(), ((TensorInfo) node.getInfo()).getShape()));
        }
        return specs;
    }

    private static Optional<DataType> dataType(TensorInfo tensor) {
        return switch (tensor.onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> Optional.of(DataType.FP32);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> Optional.of(DataType.FP64);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> Optional.of(DataType.INT32);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> Optional.of(DataType.INT64);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> Optional.of(DataType.BOOL);
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> Optional.of(DataType.BYTES);
            default -> Optional.empty();
        };
    }

    private static ModelSignature narrow(ModelSignature graph, Optional<MlflowSignature> declared) {
        if (declared.isEmpty() || declared.get().kind() != MlflowSignature.Kind.TENSOR) {
            return graph;
        }
        List<TensorSpec> declaredInputs = declared.get().signature().inputs();
        if (declaredInputs.size() != graph.inputs().size()) {
            return graph;
        }
        List<TensorSpec> narrowed = new ArrayList<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            TensorSpec actual = graph.inputs().get(i);
            TensorSpec expected = declaredInputs.get(i);
            long[] shape = actual.shape();
            long[] declaredShape = expected.shape();
            boolean sameTensor = expected.name().isEmpty() || expected.name().equals(actual.name());
            if (sameTensor && declaredShape.length == shape.length) {
                for (int dim = 0; dim < shape.length; dim++) {
                    if (shape[dim] < 0 && declaredShape[dim] >= 0) {
                        shape[dim] = declaredShape[dim];
                    }
                }
            }
            narrowed.add(new TensorSpec(actual.name(), actual.type(), shape));
        }
        return new ModelSignature(narrowed, graph.outputs());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> version() {
        return version;
    }

    @Override
    public String platform() {
        return "onnxruntime";
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    /** {@code cpu} or {@code cuda:N}: where the session runs. */
    public String executionProvider() {
        return executionProvider;
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        InputValidation.check(signature, inputs);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Tensor input : inputs.values()) {
                feeds.put(input.name(), TensorConversion.toOnnx(environment, input));
            }
            try (OrtSession.Result result = session.run(feeds, outputNames)) {
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> output : result) {
                    outputs.put(output.getKey(), TensorConversion.fromOnnx(output.getKey(), (OnnxTensor)
                            output.getValue()));
                }
                return outputs;
            }
        } catch (OrtException e) {
            ErrorCode code = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                    ? ErrorCode.INVALID_PARAMETER_VALUE
                    : ErrorCode.INTERNAL_ERROR;
            throw new AxleException(code, "model '" + name + "' failed to run: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("Closing the ONNX Runtime session of model '{}' failed: {}", name, e.getMessage());
        }
    }
}
