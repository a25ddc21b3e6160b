"""Small labelled passages written for the classify tests (not from any source document)."""

TOY = [
    ("大力培养高技能人才和大国工匠，完善职业技能培训体系。", ["labor_force"]),
    ("支持青年科技人才挑大梁，健全人才评价机制。", ["labor_force"]),
    ("办好职业院校，推进产教融合和校企合作。", ["labor_force"]),
    ("加快建设全国统一大市场，破除地方保护和市场分割。", ["factor_allocation"]),
    ("深化户籍制度改革，推进农业转移人口市民化。", ["factor_allocation"]),
    ("发展多层次资本市场，提高直接融资比重。", ["factor_allocation"]),
    ("加强基础研究，推进关键核心技术攻关。", ["tech_innovation"]),
    ("强化企业创新主体地位，促进科技成果转化。", ["tech_innovation"]),
    ("实施国家重大科技项目，建设国家实验室。", ["tech_innovation"]),
    ("推动传统产业高端化、智能化、绿色化，建设现代化产业体系。", ["industrial_upgrading"]),
    ("培育壮大战略性新兴产业和未来产业。", ["industrial_upgrading"]),
    ("提升产业链供应链韧性，发展先进制造业集群。", ["industrial_upgrading"]),
    ("加快5G网络和千兆光网建设，布局算力基础设施。", ["labor_means"]),
    ("发展工业互联网，推进大规模设备更新。", ["labor_means"]),
    ("推广工业机器人和数控机床，建设智能工厂。", ["labor_means"]),
    ("开发利用公共数据资源，释放数据资产价值。", ["labor_object"]),
    ("建设大型风电光伏基地，提高可再生能源比重。", ["labor_object"]),
    ("加强战略性矿产资源勘查开发。", ["labor_object"]),
    ("保持物价总体稳定，做好民生保障。", []),
    ("加强国防和军队建设。", []),
    ("办好人民满意的教育，健全社会保障体系。", []),
    ("持续改善生态环境质量，打好蓝天保卫战。", []),
    ("维护香港、澳门长期繁荣稳定。", []),
    ("政府要自觉接受人民监督。", []),
]
TEXTS = [text for text, _ in TOY]
LABELS = [labels for _, labels in TOY]
